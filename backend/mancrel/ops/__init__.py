"""Operations commands: doctor, backup, restore (`mancrel doctor|backup|restore`)."""
