from django.http import HttpResponse
from django.urls import path

PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Bare Django</title></head>"
    "<body><h1>Bare Django</h1><p>One view, one small page: the bench's floor.</p></body></html>"
)


def page(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", page)]
