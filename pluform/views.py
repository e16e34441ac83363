from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
@login_required
def home(request):
    return render(request, "home.html", {"role": request.user.role})
