0N!solve["leetcode"];
