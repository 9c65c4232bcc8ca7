"""Keeping HighLevel opportunities and Flowlane's Opportunities table in step, and routing
them: send a row, update a row, sync pipelines, reconcile, route by pipeline and owner.
`mapping` is the one place a row and an opportunity are translated."""
