"""Variables in loops: a convolution helper whose unnamed scopes are numbered per call, a stack of
weights named by the loop index, blocks named from a list, and an RNN unrolled by hand that reuses its cell from the second step."""
import tensorflow as tf


tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
class Conv(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``conv``."""

    def __init__(self, n, name=None, **kwargs):
        super().__init__(name=name or "conv", **kwargs)
        self.n = n

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        self.w = self.add_weight(
            name="w",
            shape=[3, 3, x_shape[-1], self.n],
            initializer=tf.keras.initializers.GlorotUniform(),
        )

    def call(self, x):
        return tf.nn.relu(tf.nn.conv2d(x, filters=self.w, strides=[1, 1, 1, 1], padding="SAME"))


class Stack(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``stack``."""

    def __init__(self, n_layers, name="stack", **kwargs):
        super().__init__(name=name, **kwargs)
        self.n_layers = n_layers
        self.w = [
            self.add_weight(name="w", shape=[4, 4], initializer=tf.keras.initializers.Orthogonal(gain=1.0))
            for i in range(n_layers)
        ]

    def call(self, x):
        for i in range(self.n_layers):
            x = tf.nn.tanh(tf.matmul(x, self.w[i]))
        return x


class Block(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``block``."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        pass

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        self.w = self.add_weight(
            name="w",
            shape=[x_shape[-1], 4],
            initializer=tf.keras.initializers.HeNormal(),
        )

    def call(self, x):
        if x.shape[-1] > 4:
            x = x[:, :4]
        return tf.nn.relu(tf.matmul(x, self.w)) + x


class Tower(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``tower``."""

    def __init__(self, names, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.names = names
        self.block = {
            name: Block(name=name)
            for name in names
        }

    def call(self, x):
        for name in self.names:
            x = self.block[name](x)
        return x


class Rnn(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``rnn``."""

    def __init__(self, n, steps, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.n = n
        self.steps = steps
        self.cell_w = self.add_weight(
            name="cell_w",
            shape=[n, n],
            initializer=tf.keras.initializers.GlorotUniform(),
        )

    def build(self, input_shape):
        xs_shape = tf.TensorShape(input_shape)
        self.cell_u = self.add_weight(
            name="cell_u",
            shape=[xs_shape[-1], self.n],
            initializer=tf.keras.initializers.GlorotUniform(),
        )

    def call(self, xs):
        h = tf.zeros([tf.shape(xs)[0], self.n])
        for t in range(self.steps):
            # The same two matrices at every step.
            h = tf.tanh(tf.matmul(h, self.cell_w) + tf.matmul(xs[:, t, :], self.cell_u))
        return h


images = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 3])
conv = Conv(4)
conv_1 = Conv(4)
features = conv(conv_1(images))

vectors = tf.compat.v1.placeholder(tf.float32, [None, 4])
stack = Stack(3)
mixed = stack(vectors)
tower = Tower(["low", "high"])
towered = tower(vectors)

sequence = tf.compat.v1.placeholder(tf.float32, [None, 5, 6])
rnn = Rnn(6, 5)
state = rnn(sequence)
