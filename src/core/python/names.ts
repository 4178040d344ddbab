// Import aliases to canonical library names: `tf.keras.layers.LSTM`, `keras.layers.LSTM` and
// `from tensorflow.keras.layers import LSTM` all become `keras.LSTM`; `torch.nn.LSTM` and
// `nn.LSTM` (after `import torch.nn as nn` or `from torch import nn`) become `nn.LSTM`.

/** Qualified dotted name (as imported) -> the canonical name the extractor matches on. */
export function canonicalName(qualified: string): string {
  const parts = qualified.split('.');
  const last = parts[parts.length - 1];
  const head = parts[0];
  if (head === 'keras' || head === 'tf_keras' || (head === 'tensorflow' && parts[1] === 'keras')) {
    if (parts.length === 1 || (head === 'tensorflow' && parts.length === 2)) return 'keras';
    return `keras.${last}`;
  }
  if (head === 'torch') {
    if (parts.length === 1) return 'torch';
    if (parts[1] === 'nn' && parts[2] === 'functional') return parts.length === 3 ? 'F' : `F.${last}`;
    if (parts[1] === 'nn') return parts.length === 2 ? 'nn' : `nn.${last}`;
    if (parts[1] === 'optim' && parts[2] === 'lr_scheduler') return `sched.${last}`;
    if (parts[1] === 'optim') return parts.length === 2 ? 'optim' : `optim.${last}`;
    if (parts[1] === 'utils') return `data.${last}`;
    return `torch.${last}`;
  }
  if (head === 'sklearn') return `sklearn.${last}`;
  if (head === 'numpy') return parts.length === 1 ? 'numpy' : `numpy.${last}`;
  return qualified;
}

/** Root names snippets use without showing their import, and what they conventionally mean. */
export const CONVENTIONAL_ROOTS: Record<string, string> = {
  tf: 'tensorflow',
  keras: 'keras',
  layers: 'keras.layers',
  torch: 'torch',
  nn: 'torch.nn',
  optim: 'torch.optim',
  F: 'torch.nn.functional',
  np: 'numpy',
};

/** Bare Keras names a snippet may use after an import it does not show. */
export const KERAS_BARE_NAMES = new Set([
  'LSTM',
  'GRU',
  'SimpleRNN',
  'Dense',
  'Dropout',
  'RepeatVector',
  'TimeDistributed',
  'Bidirectional',
  'Input',
  'Model',
  'Sequential',
  'Activation',
  'Adam',
  'RMSprop',
  'SGD',
  'Adagrad',
  'MinMaxScaler',
  'StandardScaler',
]);

export const RECURRENT_KERAS = new Set(['keras.LSTM', 'keras.GRU', 'keras.SimpleRNN']);
export const RECURRENT_TORCH = new Set(['nn.LSTM', 'nn.GRU', 'nn.RNN']);
export const CELL_TORCH = new Set(['nn.LSTMCell', 'nn.GRUCell', 'nn.RNNCell']);
export const DENSE = new Set(['keras.Dense', 'nn.Linear']);
export const DROPOUT = new Set(['keras.Dropout', 'nn.Dropout', 'keras.SpatialDropout1D']);
export const KERAS_MODELS = new Set(['keras.Sequential', 'keras.Model']);

/** Activation modules and functions of PyTorch, by canonical name, as TSAE activation names. */
export const TORCH_ACTIVATIONS: Record<string, string> = {
  'nn.ReLU': 'relu',
  'nn.ReLU6': 'relu6',
  'nn.Sigmoid': 'sigmoid',
  'nn.Hardsigmoid': 'hardSigmoid',
  'nn.Tanh': 'tanh',
  'nn.ELU': 'elu',
  'nn.SELU': 'selu',
  'nn.Softplus': 'softplus',
  'nn.Softsign': 'softsign',
  'nn.Identity': 'linear',
  'torch.relu': 'relu',
  'torch.sigmoid': 'sigmoid',
  'torch.tanh': 'tanh',
  'F.relu': 'relu',
  'F.relu6': 'relu6',
  'F.sigmoid': 'sigmoid',
  'F.hardsigmoid': 'hardSigmoid',
  'F.tanh': 'tanh',
  'F.elu': 'elu',
  'F.selu': 'selu',
  'F.softplus': 'softplus',
  'F.softsign': 'softsign',
};

/** Keras activation strings (and None) as TSAE activation names; others are unknown to the rules. */
export function kerasActivation(name: string | null): string | undefined {
  if (name === null) return 'linear';
  const map: Record<string, string> = {
    linear: 'linear',
    tanh: 'tanh',
    sigmoid: 'sigmoid',
    hard_sigmoid: 'hardSigmoid',
    relu: 'relu',
    relu6: 'relu6',
    elu: 'elu',
    selu: 'selu',
    softplus: 'softplus',
    softsign: 'softsign',
  };
  return map[name];
}

/** TSAE activation name as a Keras string, for quick fixes. */
export function kerasActivationString(name: string): string {
  return name === 'hardSigmoid' ? 'hard_sigmoid' : name;
}
