from django.utils.translation import gettext_lazy

NAVIGATION = [(gettext_lazy("Grid map"), "grids-map", None)]
