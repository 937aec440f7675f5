// The WebGPU backend for tests. On a machine without a GPU it runs on SwiftShader (Debian's chromium-common and
// libvulkan1): VK_ICD_FILENAMES points the Vulkan loader at it when unset, and KERNEL_LIB_WEBGPU defaults to
// "software" so the software adapter is accepted. Returns null where no adapter exists, so a suite can skip; with
// REQUIRE_WEBGPU=1 (set by .ci/run, like REQUIRE_JUPYTER) or KERNEL_LIB_WEBGPU=require a missing adapter throws
// instead. CI does not set KERNEL_LIB_WEBGPU itself: notebooks and kernels started by other tests keep the default
// policy (a software adapter is never the default device), and only the test processes that ask get SwiftShader.
import * as fs from "fs";
import type { Backend } from "../../kernel-lib/src/backends/backend";
import { getBackend } from "../../kernel-lib/src/backends/registry";

export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

/** `env` with what a test process needs to reach the software adapter (kept where already set). */
export function webgpuTestEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  if (!out.VK_ICD_FILENAMES && fs.existsSync(SWIFTSHADER_ICD)) out.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  if (!out.KERNEL_LIB_WEBGPU) out.KERNEL_LIB_WEBGPU = env.REQUIRE_WEBGPU === "1" ? "require" : "software";
  return out;
}

export function testWebgpuBackend(): Backend | null {
  const env = webgpuTestEnv();
  for (const k of ["VK_ICD_FILENAMES", "KERNEL_LIB_WEBGPU"]) if (env[k] !== undefined) process.env[k] = env[k];
  try {
    return getBackend("webgpu");
  } catch (e) {
    if (webgpuRequired()) throw e;
    return null;
  }
}

export function webgpuRequired(): boolean {
  return process.env.REQUIRE_WEBGPU === "1" || process.env.KERNEL_LIB_WEBGPU === "require";
}
