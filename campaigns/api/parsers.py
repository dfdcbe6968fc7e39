"""JSON in, with a bound on nesting: ``[[[[…]]]]`` a thousand deep made Python's parser recurse into a 500."""

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32  # the deepest real body (a card's guidance manual) is four levels


def _depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON 嵌套层级过深。") from None
        if _depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError("JSON 嵌套层级过深。")
        return data
