"""`chengguan maps add|list|remove|build-demo`: base-map layers from MBTiles files (offline)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chengguan.core.coords import CRS_CHOICES
from chengguan.core.errors import DomainError

from ... import basemaps

DEMO_MAX_ZOOM = 16


def build_demo(*, stdout, max_zoom=None, force=False) -> dict | None:
    """Render the demo city's base map into the maps directory and register it as layer `demo`."""
    from ...render import build_mbtiles

    target = basemaps.maps_dir() / "demo.mbtiles"
    if target.exists() and not force and any(e["name"] == "demo" for e in basemaps.registered()):
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    done = build_mbtiles(target, max_zoom=max_zoom or DEMO_MAX_ZOOM, stdout=stdout)
    basemaps.add_mbtiles(target, name="demo", crs="gcj02", label=_("Demo streets (generated)"), replace=True)
    return done


class Command(BaseCommand):
    help = "Base maps: register MBTiles files (offline tiles), list or remove them, build the demo city's map."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,list,remove,build-demo}")
        p = sub.add_parser("add", help="check an MBTiles file, copy it to the maps directory, register it")
        p.add_argument("file")
        p.add_argument("--name", required=True, help="layer id: lower-case letters, digits, - and _")
        p.add_argument("--crs", required=True, choices=CRS_CHOICES, help="the tiles' coordinate system")
        p.add_argument("--label", default="", help="name shown in the layer switcher (e.g. 矢量, 影像)")
        p.add_argument("--kind", choices=("base", "overlay"), default="base", help="overlay: labels (注记) on top")
        p.add_argument("--replace", action="store_true", help="replace a layer of the same name")
        sub.add_parser("list", help="the registered layers")
        p = sub.add_parser("remove", help="unregister a layer and delete its file")
        p.add_argument("name")
        p = sub.add_parser("build-demo", help="render the demo city's base map (needs the demo data)")
        p.add_argument("--max-zoom", type=int, default=DEMO_MAX_ZOOM)
        p.add_argument("--force", action="store_true", help="rebuild even if it exists")

    def handle(self, *args, action, **opts):
        try:
            if action == "add":
                path = Path(opts["file"])
                if not path.is_file():
                    raise CommandError(f"no such file: {path}")
                entry = basemaps.add_mbtiles(path, name=opts["name"], crs=opts["crs"], label=opts["label"],
                                             kind=opts["kind"], replace=opts["replace"])
                self.stdout.write(f"layer {entry['name']} ({entry['crs']}, zoom {entry['minzoom']}–{entry['maxzoom']}) "
                                  f"registered in {basemaps.maps_dir()}")
            elif action == "list":
                for e in basemaps.registered():
                    self.stdout.write(f"{e['name']:<16} {e['kind']:<8} {e['crs']:<9} zoom {e['minzoom']}–{e['maxzoom']}  "
                                      f"{e['label']}")
            elif action == "remove":
                if not basemaps.remove(opts["name"]):
                    raise CommandError(f"no layer named {opts['name']}")
                self.stdout.write(f"removed {opts['name']}")
            else:
                done = build_demo(stdout=self.stdout, max_zoom=opts["max_zoom"], force=opts["force"])
                if done is None:
                    self.stdout.write("the demo base map exists (--force rebuilds it)")
                else:
                    self.stdout.write(f"demo base map: {done['tiles']} tiles in {done['seconds']:.0f} s")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
