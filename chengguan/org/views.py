from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.views.decorators.http import require_POST


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        """Without an explicit `next`, a phone-sized sign-in (the page's script says so, or the browser calls
        itself mobile) of a supervisor or officer lands on their phone pages."""
        from chengguan.core.navigation import phone_home

        url = super().get_success_url()
        if self.get_redirect_url():
            return url
        narrow = self.request.POST.get("narrow") == "1" or "Mobile" in self.request.headers.get("User-Agent", "")
        return (phone_home(self.request.user) if narrow else None) or url

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.context_data["locked_until"] = getattr(self.request, "login_locked_until", None)
        return response


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")
