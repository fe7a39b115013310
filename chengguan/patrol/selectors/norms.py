"""The norms that apply to a region: its own row, else the nearest ancestor's, else the defaults."""

from chengguan.org.models import Region

from ..models import Norm


def norm_for(region: Region | None) -> Norm:
    if region is not None:
        ids = [int(x) for x in region.path.strip("/").split("/") if x]
        norms = {n.region_id: n for n in Norm.objects.filter(region_id__in=ids)}
        for pk in reversed(ids):
            if pk in norms:
                return norms[pk]
    return Norm(region=region)  # unsaved: the model defaults (5 per 10,000; at most 1 assistant per officer)
