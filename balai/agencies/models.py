"""The picture of the government: regions, governments, agencies (OPD) and their units."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.i18n import localized


class Region(models.Model):
    """A Kemendagri administrative region (Kepmendagri 300.2.2-2138/2025), keyed by its dotted code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        VILLAGE = "village", _("Village (desa)")
        URBAN_VILLAGE = "urban_village", _("Urban village (kelurahan)")

    code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def regency_code(self) -> str:
        """The regency/city (PP.KK) this region lies in, '' for a province."""
        return self.code[:5] if len(self.code) >= 5 else ""

    @property
    def is_rural(self) -> bool:
        """Regencies (kabupaten) and desa count as rural; cities and kelurahan as urban."""
        if self.level in (self.Level.PROVINCE,):
            return False
        return self.code[3:5] < "71" if len(self.code) >= 5 else False


class Government(models.Model):
    """A government that runs services on this instance: the province, or a regency/city that joined."""

    name = models.CharField(_("name"), max_length=160)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    region = models.OneToOneField(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    office_opens = models.TimeField(_("office opens"), default=time(8, 0))
    office_closes = models.TimeField(_("office closes"), default=time(16, 0))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("government")
        verbose_name_plural = _("governments")
        ordering = ["region__code"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A regional government agency (organisasi perangkat daerah, OPD)."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Office (dinas)")
        BADAN = "badan", _("Agency (badan)")
        BIRO = "biro", _("Bureau (biro)")
        INSPEKTORAT = "inspektorat", _("Inspectorate")
        SEKRETARIAT = "sekretariat", _("Secretariat")
        OTHER = "other", _("Other")

    government = models.ForeignKey(Government, verbose_name=_("government"), on_delete=models.PROTECT,
                                   related_name="agencies")
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DINAS)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name or self.name_id

    @property
    def name(self) -> str:
        return localized(self, "name")


class Unit(models.Model):
    """A unit inside an agency (sekretariat, bidang, seksi, UPTD), forming a tree under the agency."""

    class Kind(models.TextChoices):
        SECRETARIAT = "sekretariat", _("Secretariat")
        DIVISION = "bidang", _("Division (bidang)")
        SECTION = "seksi", _("Section (seksi)")
        TECHNICAL = "uptd", _("Technical implementation unit (UPTD)")
        DESK = "loket", _("Service desk (loket)")
        PPID = "ppid", _("Information and documentation office (PPID)")
        LEADERSHIP = "pimpinan", _("Agency leadership (head of agency)")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey("self", verbose_name=_("parent unit"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    slug = models.SlugField(_("slug"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DIVISION)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region served"), null=True, blank=True,
                               on_delete=models.PROTECT, help_text=_("For a UPTD serving one area."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency__short_name", "name_id"]
        constraints = [models.UniqueConstraint(fields=["agency", "slug"], name="unit_slug_unique_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency.short_name} · {self.name_id}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent and self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("The parent unit must belong to the same agency.")})
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
            seen.add(node.pk)
            node = node.parent
