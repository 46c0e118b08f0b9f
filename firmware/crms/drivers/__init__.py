# Device drivers: each takes its bus and pins in the constructor, allocates its buffers once.
