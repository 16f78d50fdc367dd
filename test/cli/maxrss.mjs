// Preloaded into the CLI by the export-all memory test (NODE_OPTIONS=--import): its peak RSS in kB.
process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\n`));
