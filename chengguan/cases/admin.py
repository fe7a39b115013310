"""Admin for what a city edits in the case loop: the stock phrases (常用语) offered under each action's reason."""

from django.contrib import admin

from .models import StockPhrase


@admin.register(StockPhrase)
class StockPhraseAdmin(admin.ModelAdmin):
    list_display = ("action", "text", "order", "is_active")
    list_filter = ("action", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("text",)
