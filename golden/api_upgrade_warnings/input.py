"""What tf_upgrade_v2 warns about (and tf1to2 leaves for a person) is reported."""
import tensorflow as tf

params = tf.get_variable("params", [100, 8])
ids = tf.placeholder(tf.int32, [None])
embedded = tf.nn.embedding_lookup(params, ids, partition_strategy="div")
glimpse = tf.image.extract_glimpse(tf.zeros([1, 8, 8, 3]), [2, 2], [[0.0, 0.0]])
tokens = tf.strings.split(tf.constant(["a b"]), result_type="SparseTensor")
strategy = tf.distribute.MirroredStrategy()
resized = tf.image.resize_bilinear(tf.zeros([1, 4, 4, 3]), [8, 8], align_corners=True)
decay = tf.train.exponential_decay(0.1, tf.train.get_or_create_global_step(), 1000, 0.9)
