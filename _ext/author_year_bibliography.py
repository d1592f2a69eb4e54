"""A Sphinx extension that labels the bibliography "Author, year", like the citations in the text.

sphinxcontrib-bibtex writes citations in the text as [Kashyap, 2022] (``bibtex_reference_style:
author_year``) but labels the list on the bibliography page with the formatting style's labels,
numbers for the ``plain`` style. This registers the pybtex style ``author_year``: ``plain`` with
labels of the same form as the citations.
"""

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


def _surname(person):
    """The surname with LaTeX accents decoded (Mor{\\'e} → Moré)."""
    names = person.rich_prelast_names + person.rich_last_names
    return " ".join(name.render_as("text") for name in names)


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            if not people:
                who = entry.fields.get("key") or entry.key
            elif len(people) == 1:
                who = _surname(people[0])
            elif len(people) == 2:
                who = f"{_surname(people[0])} and {_surname(people[1])}"
            else:
                who = f"{_surname(people[0])} et al."
            yield f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearStyle(PlainStyle):
    default_label_style = "author_year"


def setup(app):
    register_plugin("pybtex.style.labels", "author_year", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "author_year", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
