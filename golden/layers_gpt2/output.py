"""A GPT-2 style transformer (after openai/gpt-2 src/model.py): nested scopes, helper chains, a stack of
blocks named in a loop, tied input and output embeddings, and a model built with AUTO_REUSE."""
import collections

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
HParams = collections.namedtuple("HParams", ["n_vocab", "n_ctx", "n_embd", "n_head", "n_layer"])


def default_hparams():
    return HParams(n_vocab=16, n_ctx=8, n_embd=8, n_head=2, n_layer=2)


def shape_list(x):
    """Deal with dynamic shape in tensorflow cleanly."""
    static = x.shape.as_list()
    dynamic = tf.shape(x)
    return [dynamic[i] if s is None else s for i, s in enumerate(static)]


def softmax(x, axis=-1):
    x = x - tf.reduce_max(x, axis=axis, keepdims=True)
    ex = tf.exp(x)
    return ex / tf.reduce_sum(ex, axis=axis, keepdims=True)


def gelu(x):
    return 0.5 * x * (1 + tf.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * tf.pow(x, 3))))


class Norm(tf.keras.layers.Layer):
    """Normalize to mean = 0, std = 1, then do a diagonal affine transform."""

    def __init__(self, *, axis=-1, epsilon=1e-5, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        n_state = x_shape[-1]
        self.g = self.add_weight(
            name="g",
            shape=[n_state],
            initializer=tf.keras.initializers.Constant(value=1),
        )
        self.b = self.add_weight(
            name="b",
            shape=[n_state],
            initializer=tf.keras.initializers.Constant(value=0),
        )

    def call(self, x):
        u = tf.reduce_mean(x, axis=self.axis, keepdims=True)
        s = tf.reduce_mean(tf.square(x - u), axis=self.axis, keepdims=True)
        x = (x - u) * tf.math.rsqrt(s + self.epsilon)
        x = x * self.g + self.b
        return x


def split_states(x, n):
    """Reshape the last dimension of x into [n, x.shape[-1]/n]."""
    *start, m = shape_list(x)
    return tf.reshape(x, start + [n, m // n])


def merge_states(x):
    """Smash the last two dimensions of x into a single dimension."""
    *start, a, b = shape_list(x)
    return tf.reshape(x, start + [a * b])


class Conv1d(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``conv1d``."""

    def __init__(self, nf, *, w_init_stdev=0.02, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.nf = nf
        self.w_init_stdev = w_init_stdev
        self.b = self.add_weight(
            name="b",
            shape=[nf],
            initializer=tf.keras.initializers.Constant(value=0),
        )

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        *start, nx = x_shape.as_list()
        self.w = self.add_weight(
            name="w",
            shape=[1, nx, self.nf],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=self.w_init_stdev),
        )

    def call(self, x):
        *start, nx = shape_list(x)
        c = tf.reshape(tf.matmul(tf.reshape(x, [-1, nx]), tf.reshape(self.w, [-1, self.nf])) + self.b, start + [self.nf])
        return c


def attention_mask(nd, ns, *, dtype):
    """1's in the lower triangle, counting from the lower right corner."""
    i = tf.range(nd)[:, None]
    j = tf.range(ns)
    m = i >= j - ns + nd
    return tf.cast(m, dtype)


class Attn(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``attn``."""

    def __init__(self, n_state, *, hparams, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.n_state = n_state
        self.hparams = hparams
        self.c_attn = Conv1d(n_state * 3, name='c_attn')
        self.c_proj = Conv1d(n_state, name='c_proj')

    def call(self, x, *, past):
        assert x.shape.ndims == 3  # Should be [batch, sequence, features]
        assert self.n_state % self.hparams.n_head == 0

        def split_heads(x):
            # From [batch, sequence, features] to [batch, heads, sequence, features]
            return tf.transpose(split_states(x, self.hparams.n_head), [0, 2, 1, 3])

        def merge_heads(x):
            # Reverse of split_heads
            return merge_states(tf.transpose(x, [0, 2, 1, 3]))

        def mask_attn_weights(w):
            # w has shape [batch, heads, dst_sequence, src_sequence], where information flows from src to dst.
            _, _, nd, ns = shape_list(w)
            b = attention_mask(nd, ns, dtype=w.dtype)
            b = tf.reshape(b, [1, 1, nd, ns])
            w = w * b - tf.cast(1e10, w.dtype) * (1 - b)
            return w

        def multihead_attn(q, k, v):
            # q, k, v have shape [batch, heads, sequence, features]
            w = tf.matmul(q, k, transpose_b=True)
            w = w * tf.math.rsqrt(tf.cast(v.shape[-1], w.dtype))
            w = mask_attn_weights(w)
            w = softmax(w)
            a = tf.matmul(w, v)
            return a

        c = self.c_attn(x)
        q, k, v = map(split_heads, tf.split(c, 3, axis=2))
        present = tf.stack([k, v], axis=1)
        if past is not None:
            pk, pv = tf.unstack(past, axis=1)
            k = tf.concat([pk, k], axis=-2)
            v = tf.concat([pv, v], axis=-2)
        a = multihead_attn(q, k, v)
        a = merge_heads(a)
        a = self.c_proj(a)
        return a, present


class Mlp(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``mlp``."""

    def __init__(self, n_state, *, hparams, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.c_fc = Conv1d(n_state, name='c_fc')

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        nx = x_shape[-1]
        self.c_proj = Conv1d(nx, name='c_proj')

    def call(self, x):
        h = gelu(self.c_fc(x))
        h2 = self.c_proj(h)
        return h2


class Block(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``block``."""

    def __init__(self, *, hparams, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.hparams = hparams
        self.ln_1 = Norm(name='ln_1')
        self.ln_2 = Norm(name='ln_2')

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        nx = x_shape[-1]
        self.attn = Attn(nx, hparams=self.hparams, name='attn')
        self.mlp = Mlp(nx * 4, hparams=self.hparams, name='mlp')

    def call(self, x, *, past):
        a, present = self.attn(self.ln_1(x), past=past)
        x = x + a
        m = self.mlp(self.ln_2(x))
        x = x + m
        return x, present


def positions_for(tokens, past_length):
    batch_size = tf.shape(tokens)[0]
    nsteps = tf.shape(tokens)[1]
    return tf.tile(tf.expand_dims(past_length + tf.range(nsteps), 0), [batch_size, 1])


class Model(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``model``."""

    def __init__(self, hparams, name='model', **kwargs):
        super().__init__(name=name, **kwargs)
        self.hparams = hparams
        self.wpe = self.add_weight(
            name="wpe",
            shape=[hparams.n_ctx, hparams.n_embd],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.01),
        )
        self.wte = self.add_weight(
            name="wte",
            shape=[hparams.n_vocab, hparams.n_embd],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.02),
        )
        self.h = [
            Block(hparams=hparams, name='h%d' % layer)
            for layer in range(hparams.n_layer)
        ]
        self.ln_f = Norm(name='ln_f')

    def call(self, X, past=None):
        results = {}
        batch, sequence = shape_list(X)
        past_length = 0 if past is None else tf.shape(past)[-2]
        h = tf.gather(self.wte, X) + tf.gather(self.wpe, positions_for(X, past_length))

        # Transformer
        presents = []
        pasts = tf.unstack(past, axis=1) if past is not None else [None] * self.hparams.n_layer
        for layer in range(self.hparams.n_layer):
            h, present = self.h[layer](h, past=pasts[layer])
            presents.append(present)
        results['present'] = tf.stack(presents, axis=1)
        h = self.ln_f(h)

        # Language model loss.  Do tokens <n predict token n?
        h_flat = tf.reshape(h, [batch * sequence, self.hparams.n_embd])
        logits = tf.matmul(h_flat, self.wte, transpose_b=True)
        logits = tf.reshape(logits, [batch, sequence, self.hparams.n_vocab])
        results['logits'] = logits
        return results


hparams = default_hparams()
context = tf.compat.v1.placeholder(tf.int32, [None, 8], name="context")
model = Model(hparams=hparams)
lm_output = model(X=context)

# A second graph over the same weights (as sample.py builds with AUTO_REUSE) scores a prompt.
prompt = tf.compat.v1.placeholder(tf.int32, [None, 8], name="prompt")
prompt_logits = model(X=prompt)['logits']
