"""n8n expressions (JavaScript in `{{ }}`) translated to Flowlane's Jinja2."""

from server.importers.n8n.expressions.emit import Scope
from server.importers.n8n.expressions.template import UNTRANSLATED, Translation, translate_string

__all__ = ["UNTRANSLATED", "Scope", "Translation", "translate_string"]
