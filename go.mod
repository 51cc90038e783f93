module github.com/heyan-dev/heyan

go 1.26
