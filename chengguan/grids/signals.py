"""Any change to grids or to the region tree refreshes the geocoder index in every process."""

from django.db.models.signals import m2m_changed, post_delete, post_save


def _changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    from .geocoder import bump_index_version

    bump_index_version()


def _membership_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _changed(sender)


def connect():
    from chengguan.org.models import Region

    from .models import ResponsibilityGrid, UnitGrid

    for model in (UnitGrid, ResponsibilityGrid, Region):
        post_save.connect(_changed, sender=model, dispatch_uid=f"grids-index-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"grids-index-delete-{model.__name__}")
    m2m_changed.connect(
        _membership_changed, sender=ResponsibilityGrid.unit_grids.through, dispatch_uid="grids-index-m2m"
    )
