# The grading image: Node 20, the project (kernel-lib, the workbook CLI, the kernel) and bubblewrap.
#   docker build -t course-grader .
#   docker run --rm --security-opt seccomp=unconfined -v "$PWD/subs:/submissions:ro" -v "$PWD/bundle:/bundle:ro" \
#     -v "$PWD/results:/results" course-grader lab grade --require-sandbox --bundle /bundle/LAB.bundle.json /submissions --out /results
# (seccomp=unconfined: bwrap needs to create user, PID and network namespaces; see docs/labs.md.)
FROM node:20-bookworm

# bubblewrap: the per-submission sandbox; libopenblas-dev: kernel-lib's optional native GEMM (built with gcc,
# which this image has).
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap libopenblas-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /course
COPY . .
# CI=true: do not register a Jupyter kernel spec (grading starts the kernel itself); builds the wasm
# kernels, kernel-lib, the CLI and the kernel, and applies the tslab patch.
RUN CI=true npm ci && npm cache clean --force

# Grade as an unprivileged user: it cannot write the project even outside the sandbox.
RUN useradd --create-home grader && mkdir -p /course/.out && chown grader /course/.out
USER grader
ENV WORKBOOK_REQUIRE_SANDBOX=1
ENTRYPOINT ["node", "tools/workbook/bin/workbook.js"]
CMD ["help"]
