#!/usr/bin/python3
"""PyTorch CPU reference for `npm run bench`.

Trains the same autoencoder as bench/model.ts on the same windows from the same initial
weights, written by bench/bench.ts into a folder (manifest.json, windows.f32, weights.f32),
and prints one line `TSAE_BENCH_RESULT {json}` on stdout.

Architecture: LSTM encoder -> latent = last hidden state (through a Linear when the workload
has a latent size) -> repeated over time -> LSTM decoder -> per-step Linear; Adam lr 1e-3
(eps 1e-7 as tfjs); MSE; batches in file order. torch has two bias vectors per LSTM where
tfjs has one: bias_ih takes tfjs's bias and bias_hh is zero. The gate order is the same
(i, f, g, o in torch; i, f, c, o in tfjs). One thread: the fastest setting at these sizes.

Workloads with "cell": "gru" use nn.GRU. Its gates are stored r, z, n where tfjs stores z, r, h,
so the blocks are reordered. nn.GRU is "reset after" (n = tanh(W_in x + b_in + r * (W_hn h +
b_hn))) and tfjs's GRU "reset before" (tanh(W_h x + b_h + (r * h) U_h)): same sizes and work,
not the same function, so the row is a speed reference and its losses differ from TSAE's.

Run with /usr/bin/python3 (Debian's python3-torch); usage:
  pytorch_reference.py --dir DIR --epochs N --target-mse M
"""

import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

RESULT_PREFIX = "TSAE_BENCH_RESULT "


class Autoencoder(nn.Module):
    def __init__(self, features, hidden, latent, cell):
        super().__init__()
        recurrent = nn.GRU if cell == "gru" else nn.LSTM
        self.encoder = recurrent(features, hidden, batch_first=True)
        self.latent = nn.Linear(hidden, latent) if latent else None
        self.decoder = recurrent(latent or hidden, hidden, batch_first=True)
        self.output = nn.Linear(hidden, features)

    def forward(self, x):
        _, state = self.encoder(x)
        h = state if isinstance(self.encoder, nn.GRU) else state[0]
        z = h[-1]
        if self.latent is not None:
            z = self.latent(z)
        repeated = z.unsqueeze(1).expand(-1, x.shape[1], -1)
        y, _ = self.decoder(repeated)
        return self.output(y)


def load(directory):
    with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    w = manifest["workload"]
    windows = np.fromfile(os.path.join(directory, manifest["windowsFile"]), dtype="<f4")
    windows = windows.reshape(manifest["count"], w["window"], w["features"])
    flat = np.fromfile(os.path.join(directory, manifest["weightsFile"]), dtype="<f4")
    weights = {
        e["role"]: flat[e["offset"]: e["offset"] + e["length"]].reshape(e["shape"])
        for e in manifest["weights"]
    }
    return w, windows, weights


def gru_gate_order(a):
    """tfjs's GRU blocks z, r, h along the last axis -> torch's r, z, n."""
    z, r, h = np.split(a, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def set_initial_weights(model, weights):
    """Copies tfjs's initial weights: kernels are [in, out] in tfjs, [out, in] in torch."""
    def t(a):
        return torch.from_numpy(np.ascontiguousarray(a))

    with torch.no_grad():
        for name in ("encoder", "decoder"):
            rnn = getattr(model, name)
            order = gru_gate_order if isinstance(rnn, nn.GRU) else (lambda a: a)
            rnn.weight_ih_l0.copy_(t(order(weights[f"{name}.kernel"]).T))
            rnn.weight_hh_l0.copy_(t(order(weights[f"{name}.recurrentKernel"]).T))
            rnn.bias_ih_l0.copy_(t(order(weights[f"{name}.bias"])))
            rnn.bias_hh_l0.zero_()
        for name in ("latent", "output"):
            layer = getattr(model, name)
            if layer is None:
                continue
            layer.weight.copy_(t(weights[f"{name}.kernel"].T))
            layer.bias.copy_(t(weights[f"{name}.bias"]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--target-mse", type=float, required=True)
    args = parser.parse_args()

    torch.set_num_threads(1)
    workload, windows, weights = load(args.dir)
    started = time.perf_counter()
    cell = workload.get("cell", "lstm")
    model = Autoencoder(workload["features"], workload["hidden"], workload.get("latent"), cell)
    set_initial_weights(model, weights)
    build_seconds = time.perf_counter() - started
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.MSELoss()
    data = torch.from_numpy(windows)
    batches = [data[i: i + workload["batch"]] for i in range(0, len(data), workload["batch"])]

    epoch_seconds, epoch_losses, first_batch_losses = [], [], []
    elapsed, to_target = 0.0, None
    for epoch in range(args.epochs):
        t0 = time.perf_counter()
        weighted = 0.0
        for x in batches:
            optimizer.zero_grad()
            loss = loss_fn(model(x), x)
            loss.backward()
            optimizer.step()
            value = loss.item()
            if len(first_batch_losses) < 5:
                first_batch_losses.append(value)
            weighted += value * x.shape[0]
        seconds = time.perf_counter() - t0
        elapsed += seconds
        epoch_seconds.append(seconds)
        epoch_losses.append(weighted / len(data))
        if to_target is None and epoch_losses[-1] <= args.target_mse:
            to_target = elapsed
        print(f"  {workload['name']}/pytorch: epoch {epoch + 1} {seconds:.2f} s, loss {epoch_losses[-1]:.4f}",
              file=sys.stderr, flush=True)

    timed = epoch_seconds[1:] if len(epoch_seconds) > 1 else epoch_seconds
    result = {
        "workload": workload["name"],
        "backend": "pytorch",
        "backendReason": f"torch {torch.__version__}, {torch.get_num_threads()} thread"
        + (", nn.GRU (reset after: a speed reference, not TSAE's function)" if cell == "gru" else ""),
        "secondsPerEpoch": sum(timed) / len(timed),
        "measuredAs": (f"mean of epochs 2-{len(epoch_seconds)}" if len(epoch_seconds) > 1 else "epoch 1 only (includes warm-up)")
        + ("; nn.GRU is reset-after (TSAE's GRU reset-before): speed reference" if cell == "gru" else ""),
        "epochSeconds": epoch_seconds,
        "epochLosses": epoch_losses,
        "firstBatchLosses": first_batch_losses,
        "secondsToTargetMse": to_target,
        # ru_maxrss is in KiB on Linux.
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "buildSeconds": build_seconds,
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
