def train(epochs):
    for epoch in range(epochs):
        print(f'epoch {epoch}')
