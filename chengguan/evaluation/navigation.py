from django.utils.translation import gettext_lazy as _

VIEWERS = {"supervisor", "operator", "shift_leader", "dispatcher", "leader", "admin", "department_handler"}
REGION_VIEWERS = VIEWERS - {"department_handler"}

NAVIGATION = [
    (_("Evaluation and rankings"), "evaluation:index", VIEWERS),
    (_("Seeds' measures (rates, sources, 721)"), "evaluation:measures", REGION_VIEWERS),
    (_("Assessment (plus/minus scoring)"), "evaluation:assessment", REGION_VIEWERS),
    (_("Red-light notices"), "evaluation:notices", REGION_VIEWERS),
    (_("Monthly analysis report"), "evaluation:monthly", {"leader", "admin"}),
]
