# The badge's audio path, block by block and allocation-free: beam (two mics -> one),
# vad (energy gate that trims long silences), adpcm/wav (encoders). Hot loops are viper.
