"""Demo toolbox for ``manage.py seed_demo``: the coach's library (a worksheet, a recorded
exercise, links), one item in the organisation library, and a drawing the coachee shared."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.dispatch import receiver

from accounts.signals import demo_seeded
from pluform.uploads import validate_upload
from toolbox import media, services
from toolbox.models import Item

ALL_KINDS = ("image", "document", "audio", "video")


def _checked(name, data):
    return validate_upload(SimpleUploadedFile(name, data), kinds=ALL_KINDS)


@receiver(demo_seeded, dispatch_uid="toolbox_demo")
def seed_demo_toolbox(sender, organisation, users, **kwargs):
    coach, coachee = users["coach"], users["coachee_active"]
    if Item.objects.filter(owner=coach).exists():
        return
    worksheet = services.add_item(
        coach,
        upload=_checked(
            "ademhaling.pdf",
            media.pdf_page(
                [
                    "Ademhalingsoefening",
                    "",
                    "1. Ga rechtop zitten, voeten op de grond.",
                    "2. Adem vier tellen in door je neus.",
                    "3. Houd twee tellen vast.",
                    "4. Adem zes tellen uit door je mond.",
                    "Herhaal dit vijf minuten, twee keer per dag.",
                ]
            ),
        ),
        title="Ademhalingsoefening",
        description="Een korte oefening voor momenten van spanning.",
        tags=["ademhaling", "ontspanning"],
    )
    recording = services.add_item(
        coach,
        upload=_checked("rustmoment.wav", media.wav_tone(seconds=20, pitch=220)),
        title="Rustmoment (geluid)",
        description="Luister met je ogen dicht; let op je ademhaling.",
        tags=["ontspanning"],
    )
    article = services.add_item(
        coach,
        url="https://www.thuisarts.nl/stress",
        title="Stress: wat kun je zelf doen?",
        tags=["stress", "lezen"],
    )
    services.add_item(
        coach,
        url="https://www.thuisarts.nl/slaapproblemen",
        title="Beter slapen",
        tags=["slaap", "lezen"],
        published=True,
    )
    services.share([worksheet, recording, article], [coachee], by=coach)
    drawing = services.add_item(
        coachee,
        upload=_checked("tekening.png", media.png_image()),
        title="Mijn rustige plek",
        description="De tekening van de opdracht van vorige week.",
    )
    services.share([drawing], [coach], by=coachee)
