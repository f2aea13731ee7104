"""List filters whose schema says exactly what they do."""

from rest_framework import filters

from lms_site.ordering import ordering_description, ordering_lookups, ordering_parameter_schema


class StrictOrderingFilter(filters.OrderingFilter):
    """`?ordering=` over the view's `ordering_fields`: an unknown name is a 400, not silently dropped."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]
        return ordering_lookups(",".join(fields), {name: name for name in valid})

    def get_schema_operation_parameters(self, view):
        names = getattr(view, "ordering_fields", None)
        if not names:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": ordering_description(names),
                "schema": ordering_parameter_schema(names),
            }
        ]


class DocumentedSearchFilter(filters.SearchFilter):
    """`?search=` only on views that search (`search_fields`), described by what it searches."""

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "search_fields", None)
        if not fields:
            return []
        [parameter] = super().get_schema_operation_parameters(view)
        parameter["description"] = getattr(view, "search_description", parameter["description"])
        return [parameter]
