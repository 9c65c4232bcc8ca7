"""Core nodes: triggers, logic, transforms, flow control, HTTP. One module per node."""
