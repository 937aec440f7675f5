// kernel-lib side of the MNIST training recipes (the twins of bench/torch_bench.py's `mnist` mode).
// Usage: node bench/mnist_kernel_lib.mjs RECIPE EPOCHS  -> one JSON object like the PyTorch side's.

/**
 * Trains one recipe on in-memory MNIST with kernel-lib and returns
 * { recipe, epochs, epoch_seconds: number[], test_accuracy: number[], rss_mib: {"1": MiB, ...}, final_loss }.
 * Recipes: adam256 = 784-256-10 ReLU, Adam 1e-3, batch 256; sgd12 = 784-512-256-128-64-10 ReLU, SGD 0.01, batch 12.
 * Data as in torch_bench.py: pixels / 255 as float32 [N, 784], labels int32, shuffled each epoch with the seeded
 * generator, last partial batch kept.
 *
 * PENDING: fill in after the tensor/nn/optim branch merges (torch.nn.Sequential, optim.Adam/SGD, DataLoader).
 */
export async function trainKernelLibMnist(recipe, epochs) {
  void recipe; void epochs;
  return { pending: "kernel-lib tensors/nn/optim are not merged into this branch yet" };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [recipe, epochs] = process.argv.slice(2);
  console.log(JSON.stringify(await trainKernelLibMnist(recipe, Number(epochs))));
}
