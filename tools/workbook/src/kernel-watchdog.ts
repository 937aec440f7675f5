// Preloaded (node --require) into kernels the runner starts: if the runner disappears without shutting
// its kernel down (killed with SIGKILL), the kernel notices it has a new parent and exits.
const parent = Number(process.env.WORKBOOK_PARENT_PID);
if (parent > 0) {
  const timer = setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, 1000);
  timer.unref();
}
