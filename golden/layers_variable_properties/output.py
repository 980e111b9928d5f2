"""Variable properties that must survive conversion exactly: regularizers (per variable and from the
scope), a constraint, non-trainable statistics, an integer counter, a float64 variable, and the
regularization loss the training objective adds."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
WEIGHT_DECAY = 1e-3


class Dense(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``dense``."""

    def __init__(self, n_out, weight_decay=WEIGHT_DECAY, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.n_out = n_out
        self.weight_decay = weight_decay
        self.b = self.add_weight(
            name="b",
            shape=[n_out],
            initializer=tf.keras.initializers.Zeros(),
            constraint=lambda t: tf.clip_by_value(t, -1.0, 1.0),
        )

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        self.w = self.add_weight(
            name="w",
            shape=[x_shape[-1], self.n_out],
            initializer=tf.keras.initializers.GlorotUniform(),
            regularizer=lambda t: self.weight_decay * tf.nn.l2_loss(t),
        )

    def call(self, x):
        return tf.matmul(x, self.w) + self.b


class RunningCenter(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``running_center``."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.steps = self.add_weight(
            name="steps",
            shape=[],
            initializer=tf.keras.initializers.Zeros(),
            dtype=tf.int32,
            trainable=False,
        )

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        self.moving_mean = self.add_weight(
            name="moving_mean",
            shape=[x_shape[-1]],
            initializer=tf.keras.initializers.Constant(value=0.5),
            trainable=False,
        )

    def call(self, x):
        return x - self.moving_mean + tf.cast(self.steps, tf.float32)


class Model(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``model``."""

    def __init__(self, name="model", **kwargs):
        super().__init__(name=name, **kwargs)
        self.fc1 = Dense(16, name="fc1")
        self.center = RunningCenter(name="center")
        self.head_scale = self.add_weight(
            name="head_scale",
            shape=[],
            initializer=tf.keras.initializers.Constant(value=2.0),
            regularizer=lambda t: 0.5 * tf.reduce_sum(tf.abs(t)),
        )
        self.offset = self.add_weight(
            name="offset",
            shape=[4],
            initializer=tf.keras.initializers.RandomUniform(minval=0.0, maxval=1.0),
            dtype=tf.float64,
        )
        self.fc2 = Dense(4, name="fc2")

    def call(self, x):
        h = tf.nn.relu(self.fc1(x))
        h = self.center(h)
        return self.fc2(h) * self.head_scale + tf.cast(self.offset, tf.float32)


inputs = tf.compat.v1.placeholder(tf.float32, [None, 8], name="inputs")
model = Model()
logits = model(inputs)
loss = tf.reduce_mean(tf.square(logits)) + sum(model.losses)
