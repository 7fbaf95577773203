0N!solve[("flower";"flow";"flight")];
