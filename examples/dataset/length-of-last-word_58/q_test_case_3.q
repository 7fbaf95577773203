0N!solve["luffy is still joyboy"];
