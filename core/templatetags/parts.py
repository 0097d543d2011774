"""{% part p %}: render a part another app registered (a template and its context, such as
clients.dossier.Panel) inside the current page, with the page's context around it."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def part(context, part):
    with context.push(**part.context):
        return context.template.engine.get_template(part.template).render(context)
