"""Import n8n workflows (exported JSON) as Flowlane workflows, with a report.

    result = convert(json.loads(text))   # NotAnN8nWorkflow / TooBig for unusable input
    result.document                       # a flowlane/workflow@1 document
    result.report.as_dict()               # what mapped, what was translated, what needs a person
    result.ok                             # whether the document validates
"""

from server.importers.n8n.converter import ImportResult, convert
from server.importers.n8n.reader import MAX_NODES, NotAnN8nWorkflow, TooBig

__all__ = ["MAX_NODES", "ImportResult", "NotAnN8nWorkflow", "TooBig", "convert"]
