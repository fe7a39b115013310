"""Routing suggestions for many cases at once: the active rules of the matters read in one query, then each
case's suggestion decided in memory with the same precedence as `services.suggest_department`."""

from collections import defaultdict

from .models import RoutingRule


class RoutingTable:
    def __init__(self, matter_ids):
        self.rules = defaultdict(list)
        rules = RoutingRule.objects.filter(
            matter_id__in=set(matter_ids), is_active=True, department__is_active=True
        ).select_related("department", "region")
        for rule in rules:
            self.rules[rule.matter_id].append(rule)

    def suggest(self, *, matter_id, unit_grid=None, region=None, component=None):
        """The department for a case of `matter_id` at this place, or None (see `suggest_department`)."""
        if unit_grid is None and component is not None:
            unit_grid = component.unit_grid
        if region is None and unit_grid is not None:
            region = unit_grid.community
        ancestors = {int(x) for x in region.path.strip("/").split("/") if x} if region is not None else set()
        grid_id = unit_grid.pk if unit_grid is not None else None
        local, general = [], []
        for rule in self.rules.get(matter_id, ()):
            in_place = (
                rule.region_id in ancestors
                or (rule.region_id is None and rule.unit_grid_id is None)
                or (grid_id is not None and rule.unit_grid_id == grid_id)
            )
            if not in_place:
                continue
            if rule.unit_grid_id:
                local.append((1000, rule.priority, rule))
            elif rule.region_id and rule.region.level != "city":
                local.append((rule.region.path.count("/") - 1, rule.priority, rule))
            else:
                general.append((1 if rule.region_id else 0, rule.priority, rule))
        if local:
            return max(local, key=lambda x: (x[0], x[1], -x[2].pk))[2].department
        if component is not None:
            for dept in (component.maintainer, component.owner):
                if dept is not None and dept.is_active:
                    return dept
        if general:
            return max(general, key=lambda x: (x[0], x[1], -x[2].pk))[2].department
        return None
