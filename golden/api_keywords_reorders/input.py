"""Keyword renames, arguments whose position moved, and arguments TF2 treats differently."""
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 32, 32, 3])
kernel = tf.get_variable("kernel", [3, 3, 3, 8])

features = tf.nn.conv2d(x, kernel, [1, 1, 1, 1], "SAME", use_cudnn_on_gpu=True)
pooled = tf.nn.max_pool(features, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
means = tf.reduce_mean(pooled, reduction_indices=[1, 2], keep_dims=True)
total = tf.reduce_sum(pooled, None, None, "total", [3])
best = tf.argmax(means, dimension=3)
expanded = tf.expand_dims(best, dim=-1)
normalized = tf.nn.l2_normalize(means, dim=3)
unit = tf.zeros_like(means, optimize=False)
branch = tf.cond(tf.reduce_any(best > 0), fn1=lambda: means, fn2=lambda: -means)
gradients = tf.gradients(total, [kernel], colocate_gradients_with_ops=True)
step = tf.train.GradientDescentOptimizer(0.1).minimize(total, colocate_gradients_with_ops=True)
