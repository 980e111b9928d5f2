import tensorflow as tf

class MyCustomLayer(tf.keras.layers.Layer):
    def __init__(self, units):
        super(MyCustomLayer, self).__init__()
        self.units = units
        # Notice: weights are not explicitly initialized as tf.Variable

    def build(self, input_shape):
        w_init = tf.random_normal_initializer()
        self.w = w_init(shape=(input_shape[-1], self.units), dtype=tf.float32)
        self.b = tf.zeros(shape=(self.units,), dtype=tf.float32)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

model = tf.keras.Sequential([
    tf.keras.layers.Input(shape=(10,)),
    MyCustomLayer(units=5),
])

optimizer = tf.keras.optimizers.Adam(0.01)
with tf.GradientTape() as tape:
    x = tf.random.normal(shape=(1, 10))
    y = model(x)
    loss = tf.reduce_sum(y)

grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))  # This will cause the error
