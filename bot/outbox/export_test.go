package outbox

// DueReads is how many times the worker read the due rows.
func (o *Outbox) DueReads() int64 { return o.dueReads.Load() }
