from django.contrib import admin

from documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin[Document]):
    list_display = ["title", "kind", "status", "size", "requested_at", "built_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Document._meta.fields if f.name != "content"]
    exclude = ["content"]

    def has_add_permission(self, request: object) -> bool:
        return False
