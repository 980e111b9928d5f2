"""A layer helper that reads its scope name besides opening the scope: initial values and an output
scale looked up by scope, as pretrained-weight loaders and per-head settings do."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
INITIAL_BIAS = {"fc1": 0.1, "fc2": -0.2}
OUTPUT_SCALE = {"fc1": 2.0, "fc2": 0.5}


class Linear(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``linear``."""

    def __init__(self, size, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.size = size
        self.scope = name
        scope = name
        self.b = self.add_weight(
            name="b",
            shape=[size],
            initializer=tf.keras.initializers.Constant(value=INITIAL_BIAS[scope]),
        )

    def build(self, input_shape):
        x_shape = tf.TensorShape(input_shape)
        self.w = self.add_weight(
            name="w",
            shape=[x_shape[1], self.size],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.02),
        )

    def call(self, x):
        return (tf.matmul(x, self.w) + self.b) * OUTPUT_SCALE[self.scope]


features = tf.compat.v1.placeholder(tf.float32, [None, 6], name="features")
fc1 = Linear(8, name="fc1")
hidden = tf.nn.relu(fc1(features))
fc2 = Linear(3, name="fc2")
scores = fc2(hidden)
