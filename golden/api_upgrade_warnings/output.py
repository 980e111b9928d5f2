"""What tf_upgrade_v2 warns about (and tf1to2 leaves for a person) is reported."""
import tensorflow as tf


tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
class Model(tf.keras.layers.Layer):
    """Keras layer holding the module-level TF1 variables and the computations using them."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.params = self.add_weight(
            name="params",
            shape=[100, 8],
            initializer=tf.keras.initializers.GlorotUniform(),
        )

    def call(self, ids):
        embedded = tf.nn.embedding_lookup(self.params, ids)
        return embedded


model = Model()
ids = tf.compat.v1.placeholder(tf.int32, [None])
embedded = model(ids)
glimpse = tf.image.extract_glimpse(tf.zeros([1, 8, 8, 3]), [2, 2], [[0.0, 0.0]])
tokens = tf.strings.split(tf.constant(["a b"]), result_type="SparseTensor")
strategy = tf.distribute.MirroredStrategy()
resized = tf.compat.v1.image.resize_bilinear(tf.zeros([1, 4, 4, 3]), [8, 8], align_corners=True)
decay = tf.compat.v1.train.exponential_decay(0.1, tf.compat.v1.train.get_or_create_global_step(), 1000, 0.9)
