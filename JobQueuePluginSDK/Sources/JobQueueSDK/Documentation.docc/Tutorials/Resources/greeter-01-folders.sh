# Next to your checkout of JobQueue (here ~/src/jobqueue):
cd ~/src
mkdir -p Greeter/Sources/Greeter
cd Greeter
