"""Parameter defaults per n8n node type and typeVersion.

n8n saves only the parameters that differ from their defaults, and defaults change between
versions of a node: a Wait node without `amount` waits 1 hour in v1 and 5 seconds in v1.1; an
Edit Fields node without `includeOtherFields` keeps the input's fields up to v3.2 and drops
them from v3.3. Mapping reads parameters only after these are filled in.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Defaults = dict[str, Any]

_FILTER_DEFAULT = {
    "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict"},
    "conditions": [{"leftValue": "", "rightValue": "",
                    "operator": {"type": "string", "operation": "equals"}}],
    "combinator": "and",
}


def _webhook(version: float) -> Defaults:
    return {"httpMethod": "GET", "path": "", "responseMode": "onReceived", "responseCode": 200,
            "authentication": "none", "options": {}}


def _schedule(version: float) -> Defaults:
    return {"rule": {"interval": [{"field": "days"}]}}


def _if(version: float) -> Defaults:
    if version < 2:
        return {"conditions": {}, "combineOperation": "all"}
    return {"conditions": _FILTER_DEFAULT, "options": {}}


def _filter(version: float) -> Defaults:
    if version < 2:
        return {"conditions": {}, "combineConditions": "AND"}
    return {"conditions": _FILTER_DEFAULT, "options": {}}


def _switch(version: float) -> Defaults:
    if version < 3:
        return {"mode": "rules", "dataType": "number", "rules": {}, "fallbackOutput": -1,
                "outputsAmount": 4}
    return {"mode": "rules", "rules": {"values": [{"conditions": _FILTER_DEFAULT}]},
            "options": {}, "numberOutputs": 4}


def _set(version: float) -> Defaults:
    if version < 3:
        return {"values": {}, "keepOnlySet": False, "options": {}}
    if version < 3.3:
        return {"mode": "manual", "fields": {}, "include": "all", "options": {}}
    return {"mode": "manual", "assignments": {"assignments": []}, "includeOtherFields": False,
            "include": "all", "options": {}}


def _merge(version: float) -> Defaults:
    if version < 2:
        return {"mode": "append", "join": "inner", "output": "input1", "propertyName1": "",
                "propertyName2": ""}
    pair = {"values": [{"field1": "", "field2": ""}]}
    if version < 3:
        return {"mode": "append", "combinationMode": "mergeByFields", "mergeByFields": pair,
                "joinMode": "keepMatches", "outputDataFrom": "both",
                "chooseBranchMode": "waitForBoth", "output": "input1", "options": {}}
    return {"mode": "append", "combineBy": "combineByFields", "advanced": False,
            "fieldsToMatchString": "", "mergeByFields": pair, "joinMode": "keepMatches",
            "outputDataFrom": "both", "chooseBranchMode": "waitForAll",
            "output": "specifiedInput", "useDataOfInput": 1, "numberInputs": 2, "options": {}}


def _split_in_batches(version: float) -> Defaults:
    return {"batchSize": 1 if version >= 3 else 10, "options": {}}


def _wait(version: float) -> Defaults:
    if version < 1.1:
        return {"resume": "timeInterval", "amount": 1, "unit": "hours"}
    return {"resume": "timeInterval", "amount": 5, "unit": "seconds"}


def _http(version: float) -> Defaults:
    if version < 3:
        return {"requestMethod": "GET", "url": "", "authentication": "none",
                "responseFormat": "json", "jsonParameters": False, "options": {}}
    return {"method": "GET", "url": "", "authentication": "none", "sendQuery": False,
            "specifyQuery": "keypair", "sendHeaders": False, "specifyHeaders": "keypair",
            "sendBody": False, "contentType": "json", "specifyBody": "keypair", "options": {}}


def _high_level(version: float) -> Defaults:
    return {"resource": "contact"}


#: Each resource's default operation: a HighLevel node without `operation` means this one.
HIGH_LEVEL_OPERATIONS = {"contact": "create", "opportunity": "create", "task": "create",
                         "calendar": "bookAppointment"}

_TABLE: dict[str, Callable[[float], Defaults]] = {
    "webhook": _webhook,
    "scheduleTrigger": _schedule,
    "if": _if,
    "filter": _filter,
    "switch": _switch,
    "set": _set,
    "merge": _merge,
    "splitInBatches": _split_in_batches,
    "wait": _wait,
    "httpRequest": _http,
    "highLevel": _high_level,
    "splitOut": lambda v: {"fieldToSplitOut": "", "include": "noOtherFields", "options": {}},
    "aggregate": lambda v: {"aggregate": "aggregateIndividualFields", "fieldsToAggregate": {},
                            "destinationFieldName": "data", "include": "allFields",
                            "options": {}},
    "executeWorkflow": lambda v: {"source": "database", "workflowId": "", "mode": "once",
                                  "options": {}},
    "limit": lambda v: {"maxItems": 1, "keep": "firstItems"},
    "sort": lambda v: {"type": "simple", "sortFieldsUi": {}, "options": {}},
    "removeDuplicates": lambda v: {"operation": "removeDuplicateInputItems",
                                   "compare": "allFields", "options": {}},
    "respondToWebhook": lambda v: {"respondWith": "firstIncomingItem", "options": {}},
    "stopAndError": lambda v: {"errorType": "errorMessage", "errorMessage": ""},
    "stickyNote": lambda v: {"content": "", "height": 160, "width": 240},
    "slack": lambda v: {"resource": "message", "operation": "post", "select": "channel",
                        "text": "", "otherOptions": {}},
    "emailSend": lambda v: {"fromEmail": "", "toEmail": "", "subject": "", "text": "",
                            "html": "", "emailFormat": "text" if v < 2 else "html",
                            "options": {}},
    "convertToFile": lambda v: {"operation": "csv", "binaryPropertyName": "data",
                                "options": {}},
}


def apply(short_type: str, version: float, parameters: dict[str, Any]) -> dict[str, Any]:
    """`parameters` with every omitted top-level parameter set to its default for `version`."""
    make = _TABLE.get(short_type)
    filled = copy.deepcopy(make(version)) if make else {}
    filled.update(parameters)
    if short_type == "highLevel" and "operation" not in parameters:
        filled["operation"] = HIGH_LEVEL_OPERATIONS.get(str(filled.get("resource")), "create")
    return filled


def option(options: Any, name: str, default: Any) -> Any:
    """One entry of an n8n "options" collection (saved only when set), or its default."""
    return options.get(name, default) if isinstance(options, dict) else default
