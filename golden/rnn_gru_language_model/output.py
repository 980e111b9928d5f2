"""A character-level GRU language model with tf.contrib.rnn cells, trained a few steps."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


class TF1GlorotUniform(tf.keras.initializers.Initializer):
    """TF1's RNN cells draw one glorot-uniform matrix over [inputs + state, columns]; Keras splits it into
    kernel (the inputs' rows) and recurrent_kernel (the state's). Each is uniform within the whole matrix's
    limit sqrt(6 / (input_depth + units + columns)), for each TF1 matrix of `columns` side by side (a GRU's
    gates and candidate). Given both, an instance learns input_depth from the kernel, which Keras builds first.
    """

    def __init__(self, units, columns, input_depth=None):
        self.units, self.columns, self.input_depth = units, list(columns), input_depth

    def __call__(self, shape, dtype=None, **kwargs):
        if self.input_depth is None:
            self.input_depth = shape[0]
        blocks = []
        for width in self.columns:
            limit = (6 / (self.input_depth + self.units + width)) ** 0.5
            blocks.append(tf.random.uniform([shape[0], width], -limit, limit, dtype=dtype or "float32"))
        return tf.concat(blocks, axis=1)

    def get_config(self):
        return {"units": self.units, "columns": self.columns, "input_depth": self.input_depth}


# Keras rebuilds a Bidirectional layer's forward layer from its configuration: it must find the class.
tf.keras.utils.register_keras_serializable("tf1to2")(TF1GlorotUniform)


num_chars, hidden = 30, 24

char_rnn_initializer = TF1GlorotUniform(units=hidden, columns=[2 * hidden, hidden], input_depth=num_chars)
char_rnn = tf.keras.layers.GRU(units=hidden, kernel_initializer=char_rnn_initializer, recurrent_initializer=char_rnn_initializer, bias_initializer=tf.keras.initializers.Constant([1.0] * (2 * hidden) + [0.0] * hidden), recurrent_activation="sigmoid", reset_after=False, return_sequences=True, return_state=True, name="char_rnn")
logits_1 = tf.keras.layers.Dense(units=num_chars, name="logits")
optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 12, num_chars], tf.float32),
    tf.TensorSpec([None, 12], tf.int32),
])
def train_step(chars, next_chars):
    """Computes what sess.run([train_op, loss]) fetched."""
    with tf.GradientTape() as tape:
        outputs, last_state = char_rnn(chars)
        logits = logits_1(outputs)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=next_chars, logits=logits))
    variables = tape.watched_variables()
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return [None, loss]


@numpy_results
@tf.function(input_signature=[tf.TensorSpec([None, 12, num_chars], tf.float32)])
def compute_last_state(chars):
    """Computes what sess.run(last_state) fetched."""
    outputs, last_state = char_rnn(chars)
    return last_state


ids = np.random.RandomState(1).randint(0, num_chars, size=(2, 13))
one_hot = np.eye(num_chars, dtype=np.float32)[ids[:, :-1]]
for step in range(3):
    _, loss_value = train_step(chars=one_hot, next_chars=ids[:, 1:])
    print(step, loss_value)
print(compute_last_state(chars=one_hot).shape)
