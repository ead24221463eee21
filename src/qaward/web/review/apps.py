from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "qaward.web.review"
    label = "review"
    verbose_name = "专家评审 Expert review"

    def ready(self) -> None:
        # A conflict confirmed in the expert pool recuses the member from a team at once.
        from qaward.web.experts import services as experts
        from qaward.web.review.teams import recuse_conflicted

        if recuse_conflicted not in experts.ON_CONFIRMED:
            experts.ON_CONFIRMED.append(recuse_conflicted)
