"""The GB/T 47678.5-2026 catalogue: management component types (管理部件) and matter types (管理事项)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

type_code_validator = RegexValidator(r"^\d{5}$", _("A type code is 5 digits: 2 major + 3 minor."))


class CatalogueEntry(models.Model):
    code = models.CharField(_("type code"), max_length=5, unique=True, validators=[type_code_validator])
    name = models.CharField(_("name"), max_length=60)
    major_code = models.CharField(_("major class code"), max_length=2)
    major_name = models.CharField(_("major class"), max_length=40)
    is_extension = models.BooleanField(
        _("local extension"), default=False, help_text=_("Added by this city, not in the national standard.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class ComponentType(CatalogueEntry):
    """A kind of physical asset, e.g. 01001 供水井盖 (Annex A of GB/T 47678.5-2026)."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("component type")
        verbose_name_plural = _("component types")


class MatterType(CatalogueEntry):
    """A kind of problem, e.g. 06010 暴露垃圾 (Annex C). Majors 01–05 mirror component types ("…异常")."""

    component_type = models.ForeignKey(
        ComponentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matter_types",
        verbose_name=_("component type"),
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("matter type")
        verbose_name_plural = _("matter types")

    @property
    def is_component_problem(self) -> bool:
        return self.component_type_id is not None
