"""Linear regression in the style of the TF1 tutorials: an InteractiveSession, op.run() and tensor.eval()."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(6)
train_X = rng.rand(30, 1).astype(np.float32) * 10
train_Y = 2.0 * train_X + 1.0 + rng.randn(30, 1).astype(np.float32) * 0.5

X = tf.placeholder(tf.float32, [None, 1])
Y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable([[0.3]], name="weight")
b = tf.Variable([0.1], name="bias")
pred = tf.matmul(X, W) + b
cost = tf.reduce_mean(tf.square(pred - Y)) / 2
optimizer = tf.train.GradientDescentOptimizer(0.01).minimize(cost)

sess = tf.InteractiveSession()
tf.global_variables_initializer().run()
for epoch in range(20):
    optimizer.run(feed_dict={X: train_X, Y: train_Y})
    if epoch % 5 == 0:
        c = cost.eval(feed_dict={X: train_X, Y: train_Y})
        print("epoch %d cost %.6f W %.6f b %.6f" % (epoch, c, W.eval()[0, 0], b.eval()[0]))
print("final cost %.6f" % sess.run(cost, feed_dict={X: train_X, Y: train_Y}))
print("prediction", pred.eval({X: [[1.0], [2.0]]}))
sess.close()
