from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.views.decorators.http import require_POST


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.context_data["locked_until"] = getattr(self.request, "login_locked_until", None)
        return response


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")
