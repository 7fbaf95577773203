0N!solve["   fly me   to   the moon  "];
