// Export a TSAE config as a self-contained, readable PyTorch training script: the same data
// pipeline (CSV columns, windows and stride, chronological split with the overlapping training
// windows purged, scaling fitted on the points the training windows cover), the same model
// (recurrent encoder, Dense latent, the latent repeated over time or made the first decoder
// layer's initial state, recurrent decoder, per-step Dense output),
// Keras-style initialisation (glorot-uniform kernels, orthogonal recurrent weights, forget-gate
// bias 1), Adam with tfjs's epsilon, global-norm clipping and the seeded shuffle. It runs under
// torchrun (DistributedDataParallel when WORLD_SIZE > 1). Settings it cannot reproduce are
// refused with the field to change, never silently approximated.

import * as path from 'node:path';
import type { ResolvedConfig } from '../config/types';

export class ExportError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The settings the script reproduces; anything else is an ExportError naming the field. */
function checkSupported(config: ResolvedConfig): void {
  const refuse = (field: string, why: string): never => {
    throw new ExportError(`${field}: ${why}; the PyTorch export does not reproduce it yet`, field);
  };
  const { data, model, training, preprocessing, task } = config;
  if (data.format !== 'csv' || data.layout !== 'series') refuse('data.format', 'only CSV series data (layout series) is exported');
  if (!data.columns?.length) refuse('data.columns', 'name the feature columns');
  if (data.missing !== 'error') refuse('data.missing', `missing: ${data.missing}`);
  if (data.trainLabels !== undefined) refuse('data.trainLabels', 'label filtering');
  if (task.type !== 'reconstruct') refuse('task.type', 'seq2seq');
  if (preprocessing.differencing !== 0) refuse('preprocessing.differencing', 'differencing');
  if (model.bridge === 'sequence') refuse('model.bridge', `bridge ${model.bridge}`);
  if (model.stateful) refuse('model.stateful', 'stateful layers');
  if (model.reverseTarget) refuse('model.reverseTarget', 'reversed targets');
  for (const side of ['encoder', 'decoder'] as const) {
    model[side].forEach((layer, i) => {
      if (layer.bidirectional) refuse(`model.${side}.${i}.bidirectional`, 'bidirectional layers');
      if (layer.activation !== 'tanh' || layer.recurrentActivation !== 'sigmoid')
        refuse(`model.${side}.${i}.activation`, 'cell activations other than tanh/sigmoid (PyTorch cells are fixed)');
      if (layer.dropout > 0 || layer.recurrentDropout > 0) refuse(`model.${side}.${i}.dropout`, 'dropout inside recurrent layers');
    });
  }
  if (training.optimizer !== 'adam') refuse('training.optimizer', training.optimizer);
  if (training.targetReduction !== 'none') refuse('training.targetReduction', 'a reduced target');
  if (training.lrDecay) refuse('training.lrDecay', 'learning-rate decay');
}

const TORCH_ACTIVATION: Record<string, string> = {
  linear: 'nn.Identity()',
  tanh: 'nn.Tanh()',
  sigmoid: 'nn.Sigmoid()',
  hardSigmoid: 'nn.Hardsigmoid()',
  relu: 'nn.ReLU()',
  relu6: 'nn.ReLU6()',
  elu: 'nn.ELU()',
  selu: 'nn.SELU()',
  softplus: 'nn.Softplus()',
  softsign: 'nn.Softsign()',
};

// tfjs's GRU in PyTorch. nn.GRU is a different cell: it applies the reset gate after the
// recurrent product (Keras's reset_after=True) and orders its gates r, z, n, so its losses drift
// from TSAE's from the first batch. This module keeps tfjs's weights as they are.
const KERAS_GRU = `
class KerasGRU(nn.Module):
    """tfjs's GRU cell (Keras's reset_after=False), as TSAE trains it: gates z, r, h in that order, one
    bias, the reset gate applied to h before the recurrent product. Weights in tfjs's layout
    (kernel [in, 3 units]). A Python loop over steps: slower than nn.GRU, which computes another cell."""

    def __init__(self, input_size, hidden_size, batch_first=True):
        super().__init__()
        assert batch_first
        self.hidden_size = hidden_size
        self.kernel = nn.Parameter(torch.empty(input_size, 3 * hidden_size))
        self.recurrent_kernel = nn.Parameter(torch.empty(hidden_size, 3 * hidden_size))
        self.bias = nn.Parameter(torch.zeros(3 * hidden_size))

    def forward(self, x, h0=None):
        u = self.hidden_size
        h = x.new_zeros(x.shape[0], u) if h0 is None else h0[0]
        projected = x @ self.kernel + self.bias
        gates_kernel, candidate_kernel = self.recurrent_kernel[:, :2 * u], self.recurrent_kernel[:, 2 * u:]
        outputs = []
        for t in range(x.shape[1]):
            xz, xr, xh = projected[:, t].split(u, dim=1)
            hz, hr = (h @ gates_kernel).split(u, dim=1)
            z = torch.sigmoid(xz + hz)
            r = torch.sigmoid(xr + hr)
            candidate = torch.tanh(xh + (r * h) @ candidate_kernel)
            h = z * h + (1 - z) * candidate
            outputs.append(h)
        return torch.stack(outputs, dim=1), h.unsqueeze(0)

`;

// The bridges' Python, indented for Autoencoder. initialState: TSAE's buildAutoencoder makes the
// first decoder layer's initial state from the latent z, h0 = tanh(W_h z) (and for an LSTM
// c0 = W_c z), and runs the decoder over zeros of width 1 (a frozen zero Dense on the input there);
// later decoder layers start from zeros like any layer.

/** The Linear layers that make the first decoder layer's state from z, each with its state's expression. */
const STATE_BRIDGE_LAYERS: Record<'lstm' | 'gru', ReadonlyArray<{ name: string; state: string }>> = {
  lstm: [
    { name: 'bridge_h', state: 'torch.tanh(self.bridge_h(z)).unsqueeze(0)' },
    { name: 'bridge_c', state: 'self.bridge_c(z).unsqueeze(0)' },
  ],
  gru: [{ name: 'bridge_h', state: 'torch.tanh(self.bridge_h(z)).unsqueeze(0)' }],
};

function stateBridgeInit(cell: 'lstm' | 'gru'): string {
  return STATE_BRIDGE_LAYERS[cell].map((l) => `        self.${l.name} = nn.Linear(s["latent"], s["decoder"][0])\n`).join('');
}

function stateBridgeForward(cell: 'lstm' | 'gru'): string {
  const states = STATE_BRIDGE_LAYERS[cell].map((l) => l.state);
  // An LSTM takes (h0, c0); a GRU takes h0 alone.
  const state = states.length === 1 ? states[0] : `(${states.join(', ')})`;
  return `        # The latent is the first decoder layer's initial state; the decoder reads zeros.
        state = ${state}
        y = x.new_zeros(x.shape[0], self.window, 1)
        for i, layer in enumerate(self.decoder):
            y, _ = layer(y, state) if i == 0 else layer(y)
`;
}

/** Autoencoder.dense_layers' bridge entries: the Linear layers whose weights load by name. */
function stateBridgeDenseList(cell: 'lstm' | 'gru'): string {
  return `[${STATE_BRIDGE_LAYERS[cell].map((l) => `("${l.name}", self.${l.name})`).join(', ')}]`;
}

const REPEAT_BRIDGE_FORWARD = `        y = z.unsqueeze(1).repeat(1, self.window, 1)
        for layer in self.decoder:
            y, _ = layer(y)
`;

/** The script's text. `configFile` is named in its header; the data path is the config's, absolute. */
export function pytorchScript(config: ResolvedConfig): string {
  checkSupported(config);
  const { model, training, windowing, preprocessing, split } = config;
  const settings = {
    data_file: config.dataFile,
    columns: config.data.columns,
    max_rows: config.data.maxRows ?? null,
    window: windowing.length,
    stride: windowing.stride,
    validation: split.validation,
    scaling: preprocessing.scaling,
    range: preprocessing.range,
    cell: model.cell,
    encoder: model.encoder.map((l) => l.units),
    latent: model.latent.size,
    latent_dropout: model.latent.dropout,
    bridge: model.bridge,
    decoder: model.decoder.map((l) => l.units),
    epochs: training.epochs,
    batch_size: training.batchSize,
    learning_rate: training.learningRate,
    loss: training.loss,
    loss_reduction: training.lossReduction,
    shuffle: training.shuffle,
    seed: training.seed,
    clip_norm: training.clipNorm,
  };
  const gru = model.cell === 'gru';
  const cls = gru ? 'KerasGRU' : 'nn.LSTM';
  const stateFed = model.bridge === 'initialState';
  const bridgeSummary = stateFed ? `initial state of decoder_0 (decoder reads ${windowing.length} zero steps)` : `repeated ${windowing.length} steps`;
  return `#!/usr/bin/env python3
"""${config.name}: exported by TSAE from ${path.basename(config.configFile)}.

Trains the same LSTM autoencoder as \`tsae train\` on the same windows: the data pipeline, model,
initialisation, optimizer and loss follow the config below. Run it with

    python3 ${config.name}.py                        # one process, CPU or one GPU
    torchrun --nproc_per_node=4 ${config.name}.py    # DistributedDataParallel over 4 processes

Options: --data FILE (the CSV, when it moved), --epochs N, --initial-weights FILE (a JSON of TSAE's initial weights, to start from
exactly the same point), --device cpu|cuda. One JSON line per epoch goes to stdout.
"""

import argparse
import csv
import json
import math
import os

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

SETTINGS = ${JSON.stringify(settings, null, 4)
    .replace(/\bnull\b/g, 'None')
    .replace(/\btrue\b/g, 'True')
    .replace(/\bfalse\b/g, 'False')}


# ---------------------------------------------------------------- data

def read_columns(path, columns, max_rows):
    """The named columns of a CSV file as a float64 array [rows, features]; bad cells name line and column."""
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{path}: columns {missing} are not in the header {reader.fieldnames}")
        for line, record in enumerate(reader, start=2):
            if max_rows is not None and len(rows) >= max_rows:
                break
            try:
                rows.append([float(record[c]) for c in columns])
            except (TypeError, ValueError):
                bad = next(c for c in columns if not _is_number(record[c]))
                raise SystemExit(f"{path}:{line}: column {bad}: {record[bad]!r} is not a number")
    return np.asarray(rows, dtype=np.float64)


def _is_number(text):
    try:
        float(text)
        return math.isfinite(float(text))
    except (TypeError, ValueError):
        return False


def sliding_bases(points, length, stride):
    return list(range(0, points - length + 1, stride))


def split_chronological(bases, length, fraction):
    """The last windows validate; training windows reaching into their period are dropped."""
    count = len(bases)
    n_val = 0 if fraction <= 0 or count < 2 else min(max(int(math.floor(fraction * count + 0.5)), 1), count - 1)
    if n_val == 0:
        return list(range(count)), []
    validation = list(range(count - n_val, count))
    cut = bases[validation[0]]
    train = [w for w in range(count - n_val) if bases[w] + length <= cut]
    return train, validation


def fit_scaler(values, covered, kind, low_high):
    """Scale and shift per feature, fitted on the points the training windows cover."""
    used = values[covered]
    if kind == "standard":
        mean = used.mean(axis=0)
        std = np.maximum(np.sqrt(((used - mean) ** 2).mean(axis=0)), 1e-8)
        return std, mean
    if kind == "minmax":
        low, high = low_high
        lo, hi = used.min(axis=0), used.max(axis=0)
        scale = np.maximum(hi - lo, 1e-8) / (high - low)
        return scale, lo - low * scale
    return np.ones(values.shape[1]), np.zeros(values.shape[1])


def load_windows(s):
    values = read_columns(s["data_file"], s["columns"], s["max_rows"])
    bases = sliding_bases(len(values), s["window"], s["stride"])
    train_ids, val_ids = split_chronological(bases, s["window"], s["validation"])
    covered = np.zeros(len(values), dtype=bool)
    for w in train_ids:
        covered[bases[w]:bases[w] + s["window"]] = True
    scale, shift = fit_scaler(values, covered, s["scaling"], s["range"])
    scaled = (values - shift) / scale

    def windows(ids):
        return torch.tensor(np.stack([scaled[bases[w]:bases[w] + s["window"]] for w in ids]) if ids else np.zeros((0, s["window"], len(s["columns"]))), dtype=torch.float32)

    return windows(train_ids), windows(val_ids)


class Mulberry32:
    """TSAE's seeded generator (src/core/data/random.ts), so the shuffled batch order is the same."""

    def __init__(self, seed):
        self.state = int(seed) & 0xFFFFFFFF

    def __call__(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296


def _imul(a, b):
    return (a * b) & 0xFFFFFFFF


def shuffle_in_place(order, rng):
    for i in range(len(order) - 1, 0, -1):
        j = int(math.floor(rng() * (i + 1)))
        order[i], order[j] = order[j], order[i]


# ---------------------------------------------------------------- model
${gru ? KERAS_GRU : ''}
class Autoencoder(nn.Module):
    """Encoder ${model.encoder.map((l) => l.units).join(' -> ')} -> latent ${model.latent.size} (${model.latent.activation}) -> ${bridgeSummary} -> decoder ${model.decoder.map((l) => l.units).join(' -> ')} -> ${config.data.columns?.length} features (${model.outputActivation})."""

    def __init__(self, features, s):
        super().__init__()
        widths = [features] + s["encoder"]
        self.encoder = nn.ModuleList(${cls}(widths[i], widths[i + 1], batch_first=True) for i in range(len(s["encoder"])))
        self.latent = nn.Linear(s["encoder"][-1], s["latent"])
        self.latent_activation = ${TORCH_ACTIVATION[model.latent.activation]}
        self.latent_dropout = nn.Dropout(s["latent_dropout"]) if s["latent_dropout"] > 0 else nn.Identity()
${stateFed ? stateBridgeInit(model.cell) : ''}        widths = [${stateFed ? '1' : 's["latent"]'}] + s["decoder"]
        self.decoder = nn.ModuleList(${cls}(widths[i], widths[i + 1], batch_first=True) for i in range(len(s["decoder"])))
        self.output = nn.Linear(s["decoder"][-1], features)
        self.output_activation = ${TORCH_ACTIVATION[model.outputActivation]}
        self.window = s["window"]

    def forward(self, x):
        for layer in self.encoder:
            x, _ = layer(x)
        z = self.latent_dropout(self.latent_activation(self.latent(x[:, -1, :])))
${stateFed ? stateBridgeForward(model.cell) : REPEAT_BRIDGE_FORWARD}        return self.output_activation(self.output(y))

    def recurrent_layers(self):
        return [("encoder_%d" % i, l) for i, l in enumerate(self.encoder)] + [("decoder_%d" % i, l) for i, l in enumerate(self.decoder)]

    def dense_layers(self):
        return [("latent", self.latent)] + ${stateFed ? stateBridgeDenseList(model.cell) : '[]'} + [("output", self.output)]


def keras_style_init(model):
    """Glorot-uniform kernels, orthogonal recurrent weights, zero biases, forget-gate bias 1 (as TSAE)."""
    with torch.no_grad():
        for _, layer in model.recurrent_layers():
${
  gru
    ? `            if isinstance(layer, KerasGRU):
                nn.init.xavier_uniform_(layer.kernel)
                nn.init.orthogonal_(layer.recurrent_kernel)
                layer.bias.zero_()
                continue
`
    : ''
}            nn.init.xavier_uniform_(layer.weight_ih_l0)
            gates = layer.weight_hh_l0.shape[0] // layer.hidden_size
            recurrent = torch.empty(layer.hidden_size, gates * layer.hidden_size)
            nn.init.orthogonal_(recurrent)
            layer.weight_hh_l0.copy_(recurrent.T)
            layer.bias_ih_l0.zero_()
            # Keras/tfjs cells have one bias; PyTorch's second one stays at zero, untrained,
            # or Adam would move the sum of both twice as fast.
            layer.bias_hh_l0.zero_()
            layer.bias_hh_l0.requires_grad_(False)
            if isinstance(layer, nn.LSTM):
                layer.bias_ih_l0[layer.hidden_size:2 * layer.hidden_size] = 1.0
        for _, dense in model.dense_layers():
            nn.init.xavier_uniform_(dense.weight)
            dense.bias.zero_()


def load_initial_weights(model, path):
    """Weights saved from TSAE (tfjs layout: kernels [in, out]; one bias per recurrent layer)."""
    with open(path, encoding="utf-8") as handle:
        saved = json.load(handle)

    def t(name, key):
        return torch.tensor(np.asarray(saved[name][key], dtype=np.float32))

    with torch.no_grad():
        for name, layer in model.recurrent_layers():
${
  gru
    ? `            if isinstance(layer, KerasGRU):
                layer.kernel.copy_(t(name, "kernel"))
                layer.recurrent_kernel.copy_(t(name, "recurrentKernel"))
                layer.bias.copy_(t(name, "bias"))
                continue
`
    : ''
}            layer.weight_ih_l0.copy_(t(name, "kernel").T)
            layer.weight_hh_l0.copy_(t(name, "recurrentKernel").T)
            layer.bias_ih_l0.copy_(t(name, "bias"))
            layer.bias_hh_l0.zero_()
        for name, dense in model.dense_layers():
            dense.weight.copy_(t(name, "kernel").T)
            dense.bias.copy_(t(name, "bias"))


# ---------------------------------------------------------------- training

def batch_loss(output, target, s):
    error = (output - target).abs() if s["loss"] == "mae" else (output - target) ** 2
    per_window = error.mean(dim=(1, 2))
    return per_window.sum() if s["loss_reduction"] == "sum" else per_window.mean()


def clip_by_global_norm(parameters, clip_norm):
    grads = [p.grad for p in parameters if p.grad is not None]
    norm = torch.sqrt(sum((g ** 2).sum() for g in grads))
    scale = torch.clamp(clip_norm / (norm + 1e-12), max=1.0)
    for g in grads:
        g.mul_(scale)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=SETTINGS["epochs"])
    parser.add_argument("--initial-weights")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--data", default=SETTINGS["data_file"], help="the CSV file (default: the config's data.path)")
    args = parser.parse_args()
    s = dict(SETTINGS, data_file=args.data)

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1:
        dist.init_process_group("nccl" if args.device == "cuda" else "gloo")
        if args.device == "cuda":
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    torch.manual_seed(s["seed"])

    train_x, val_x = load_windows(s)
    model = Autoencoder(train_x.shape[2], s)
    keras_style_init(model)
    if args.initial_weights:
        load_initial_weights(model, args.initial_weights)
    model.to(args.device)
    net = nn.parallel.DistributedDataParallel(model) if world > 1 else model
    # tfjs's Adam epsilon, so the updates match TSAE's.
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=s["learning_rate"], betas=(0.9, 0.999), eps=1e-7)

    rng = Mulberry32(s["seed"])
    order = list(range(len(train_x)))
    batches = math.ceil(len(order) / s["batch_size"])
    for epoch in range(1, args.epochs + 1):
        if s["shuffle"]:
            shuffle_in_place(order, rng)
        net.train()
        total = 0.0
        for b in range(batches):
            rows = order[b * s["batch_size"]:(b + 1) * s["batch_size"]]
            # Each process takes its share of the batch; DDP averages the gradients.
            x = train_x[rows[rank::world]].to(args.device)
            loss = batch_loss(net(x), x, s)
            optimizer.zero_grad()
            loss.backward()
            if s["clip_norm"] > 0:
                clip_by_global_norm([p for p in model.parameters() if p.requires_grad], s["clip_norm"])
            optimizer.step()
            total += loss.item()
        net.eval()
        with torch.no_grad():
            val = batch_loss(net(val_x.to(args.device)), val_x.to(args.device), s).item() if len(val_x) else None
        if rank == 0:
            print(json.dumps({"epoch": epoch, "loss": total / batches, "val_loss": val}), flush=True)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
}
