"""Seed the Open311 peer (6aika/issue-reporting) for bench/http_load.py --peer-url: run in the PEER's checkout
and venv, never in ours (see docs/performance.md, "Against the peer"):

    cd /tmp/peer-issue-reporting && DEBUG=0 SECRET_KEY=bench DJANGO_SETTINGS_MODULE=peer_settings \
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_peer_open311 \
        /tmp/peer-venv/bin/python manage.py shell < /work/wt/open311/bench/peer_seed.py

One jurisdiction, one application (key '', which the peer picks when it holds a single application), one service
`06010` and N requests (env PEER_SEED, default 1,000) through the peer's own model (its `save()` fills
identifier, location and expected time, as a POST does), comparable with ours: description, address, agency,
media_url on every fifth, a fifth closed with status notes; then ANALYZE.
"""

import os
import random

from django.db import connection
from issues.models import Application, Issue, Jurisdiction, Service

n = int(os.environ.get("PEER_SEED", "1000"))
Jurisdiction.objects.get_or_create(identifier="default", defaults={"name": "Default"})
Application.objects.get_or_create(key="", defaults={"identifier": "default", "name": "Default"})
service, _ = Service.objects.get_or_create(
    service_code="06010", defaults={"location_req": "coords_or_address"}
)
service.set_current_language("en")
service.service_name = "暴露垃圾"
service.description = "bench"
service.save()
rng = random.Random(1)
for i in range(n):
    closed = i % 5 == 0
    Issue(
        service=service,
        description=f"seed {i}: 路边垃圾",
        address="西门大街 12 号",
        agency_responsible="城管局环卫处",
        lat=rng.uniform(34.8020, 34.8180),
        long=rng.uniform(114.2960, 114.3130),
        media_url=f"http://127.0.0.1/media/{i}.jpg" if i % 5 == 1 else "",
        status="closed" if closed else "open",
        status_notes="已处理" if closed else "",
        submitter_phone="13912341234",
    ).save()
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(f"peer seeded: {Issue.objects.count()} requests")
