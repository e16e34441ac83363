"""E-mail notices: whether and when a user is told that something new is waiting in Pluform.

Each content app registers its kinds of notice (``<app>/notices.py``, from its
``AppConfig.ready()``) and calls ``services.announce`` when something happens. This app
decides who is told, when, and how often; the e-mails carry a link, never content or names.
"""
