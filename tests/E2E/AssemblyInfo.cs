// Browser tests spend most of their time waiting for a page or a circuit, not computing: four collections (each with its
// own Chromium and its own portals) run side by side even on 2 cores. xunit's default would be one per core.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
